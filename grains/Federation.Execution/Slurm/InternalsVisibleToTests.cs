using System.Runtime.CompilerServices;

// The Slurm output parsers (SlurmOutput) are internal and unit-tested on captured output.
[assembly: InternalsVisibleTo("Federation.Execution.Tests")]
