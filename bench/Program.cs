// Graft vs PyTorch benchmarks (issue 9): see BenchCommand for the command line and README's Benchmarks section.
return Graft.Bench.BenchCommand.Run(args, Console.Out);
