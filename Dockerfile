# redirlint in a container: the image behind the `redirlint-docker` pre-commit hook and the GitHub Action.
#   docker build -t redirlint .
#   docker run --rm -v "$PWD:/src" -w /src redirlint check .
# Debian packages only, the same as scripts/deps.sh (DESIGN §8); the servers (apache2, nginx) are test
# oracles and are not in the runtime image.
FROM debian:bookworm-slim AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      build-essential cmake pkg-config tao-pegtl-dev libcli11-dev libyaml-cpp-dev libyaml-dev doctest-dev \
      libpcre2-dev nlohmann-json3-dev libaugeas-dev libtomlplusplus-dev libxml2-dev zlib1g-dev python3 \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build -j "$(nproc)" --target redirlint man_page \
 && cmake --install /build --prefix /opt/redirlint --strip

FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libyaml-cpp0.7 libyaml-0-2 libpcre2-8-0 libaugeas0 libtomlplusplus3 libxml2 git \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/redirlint /usr/local
# pre-commit mounts the repository at /src and runs the entry there.
WORKDIR /src
ENTRYPOINT ["redirlint"]
CMD ["--help"]
