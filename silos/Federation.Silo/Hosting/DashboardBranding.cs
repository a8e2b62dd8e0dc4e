using System.Net;
using System.Text;
using Federation.Contracts.Ids;

namespace Federation.Silo.Hosting;

/// <summary>
/// Names the nation on its Orleans dashboard page: the dashboard (10.4.2) has no title option, so
/// its HTML page is rewritten on the way out — the title, the small-screen header and a line above
/// the menu — and nothing else it serves is touched.
/// </summary>
public static class DashboardBranding
{
    private const string Title = "<title>Orleans Dashboard</title>";
    private const string SmallHeader = "<span>Orleans Dashboard</span>";
    private const string Brand = "<div id=\"brand-header\"></div>";

    /// <summary>Rewrites the dashboard page under <paramref name="prefix"/> to name <paramref name="nation"/>.</summary>
    public static IApplicationBuilder UseDashboardBranding(this IApplicationBuilder app, string prefix, NationCode nation, string name)
    {
        var page = prefix.TrimEnd('/');
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (!HttpMethods.IsGet(context.Request.Method) || (path != page + "/" && path != page + "/index.html"))
            {
                await next(context);
                return;
            }

            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            var html = context.Response.StatusCode == StatusCodes.Status200OK
                && context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            if (!html)
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(original, context.RequestAborted);
                return;
            }

            var branded = Encoding.UTF8.GetBytes(Apply(Encoding.UTF8.GetString(buffer.ToArray()), nation, name));
            context.Response.ContentLength = branded.Length;
            await original.WriteAsync(branded, context.RequestAborted);
        });
    }

    /// <summary>The dashboard page <paramref name="html"/> naming <paramref name="nation"/>.</summary>
    public static string Apply(string html, NationCode nation, string name)
    {
        var label = WebUtility.HtmlEncode(name == nation.Value ? $"Nation {nation}" : $"Nation {nation} ({name})");
        return html
            .Replace(Title, $"<title>{label} · Orleans Dashboard</title>", StringComparison.Ordinal)
            .Replace(SmallHeader, $"<span>{label} · Orleans Dashboard</span>", StringComparison.Ordinal)
            .Replace(Brand, $"{Brand}<div class=\"nation-badge\" style=\"padding:.5rem 1rem;font-weight:600;color:#fff;background:#1f6feb\">{label}</div>", StringComparison.Ordinal);
    }
}
