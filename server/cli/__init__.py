"""The command line: `standards-lsp check|fix|rules|explain|serve` (`main`) and the report
formats (`report`). It shares the engine, the batch check and the result cache with the server."""
