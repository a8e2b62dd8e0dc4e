using Federation.Silo.Commands;

return await SiloCommands.RunAsync(args);
