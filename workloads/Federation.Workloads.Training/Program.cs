using Federation.Workloads.Training.Cli;

return TrainingCommandLine.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
