using Graft.Cli;

return GraftCommandLine.Run(args, Console.Out, Console.Error);
