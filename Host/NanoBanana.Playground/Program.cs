await NanoBanana.Playground.PlaygroundServer.RunStandaloneAsync(args);
