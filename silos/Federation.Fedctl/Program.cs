using Federation.Fedctl;

return await FedctlApp.RunAsync(args);
