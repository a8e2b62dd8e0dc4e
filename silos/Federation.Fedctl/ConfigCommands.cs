using System.CommandLine;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;

namespace Federation.Fedctl;

/// <summary><c>fedctl config show|set</c>: the small config file.</summary>
public static class ConfigCommands
{
    /// <summary>The <c>config</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        var config = new Command("config", "Show or set the API URL and token fedctl uses.");
        var show = new Command("show", "Print the URL and token source in effect.");
        show.SetAction(parse =>
        {
            try
            {
                var settings = context.Settings(parse);
                if (context.Json(parse))
                {
                    context.WriteJson(new JsonObject
                    {
                        ["url"] = settings.Url.ToString(),
                        ["urlSource"] = settings.UrlSource,
                        ["token"] = settings.Token is null ? "none" : "set",
                        ["tokenSource"] = settings.TokenSource,
                        ["file"] = FedctlSettings.ConfigPath(context.Environment),
                    });
                    return ExitCodes.Ok;
                }

                context.Output.WriteLine($"url    {settings.Url} (from {settings.UrlSource})");
                context.Output.WriteLine($"token  {(settings.Token is null ? "none" : "set")} (from {settings.TokenSource})");
                context.Output.WriteLine($"file   {FedctlSettings.ConfigPath(context.Environment)}");
                return ExitCodes.Ok;
            }
            catch (FedctlException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return e.ExitCode;
            }
        });
        var set = new Command("set", "Write --url and/or --token to the config file (mode 600).");
        set.SetAction(parse =>
        {
            if (parse.GetValue(context.Url) is null && parse.GetValue(context.Token) is null)
            {
                context.Error.WriteLine("error: give --url and/or --token to store");
                return ExitCodes.Usage;
            }

            var path = FedctlSettings.Save(parse.GetValue(context.Url), parse.GetValue(context.Token), context.Environment);
            context.Output.WriteLine($"saved to {path}");
            return ExitCodes.Ok;
        });
        config.Subcommands.Add(show);
        config.Subcommands.Add(set);
        return config;
    }
}
