trace samples/vercel.json /beta/x /old-docs
