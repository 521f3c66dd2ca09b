trace --follow samples/netlify.toml /old-blog/launch
