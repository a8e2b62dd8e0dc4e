namespace Federation.Silo.Overview;

/// <summary>
/// The page's own script and style sheet, written here by hand (no build step, nothing downloaded) and
/// served from <c>/overview/</c> so that the Content-Security-Policy can allow only them.
/// </summary>
public static class OverviewAssets
{
    /// <summary>The Content-Security-Policy of the page: its own script, style and event stream, nothing else.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Listens to <c>/overview/events</c> and replaces each section the server sends by its id. The
    /// HTML comes from the server, where every text is encoded; a message that is not a section of the
    /// page is ignored. Without JavaScript the page still shows the facts of its first response.
    /// </summary>
    public const string Script = """
        // Federation overview: live updates by server-sent events. Written by hand; no dependency.
        (function () {
          'use strict';
          var live = 'Live: sections are replaced as the facts change.';
          function note(text) {
            var el = document.getElementById('ov-live');
            if (el) { el.textContent = text; }
          }
          if (!window.EventSource) { return; }
          var source = new EventSource('/overview/events');
          source.addEventListener('section', function (event) {
            var message;
            try { message = JSON.parse(event.data); } catch (e) { return; }
            if (!message || typeof message.id !== 'string' || typeof message.html !== 'string') { return; }
            var old = document.getElementById(message.id);
            if (!old || old.tagName !== 'SECTION') { return; }
            var template = document.createElement('template');
            template.innerHTML = message.html;
            var fresh = template.content.firstElementChild;
            if (!fresh || fresh.tagName !== 'SECTION' || fresh.id !== message.id) { return; }
            var hadFocus = old.contains(document.activeElement);
            old.replaceWith(fresh);
            if (hadFocus) {
              fresh.setAttribute('tabindex', '-1');
              fresh.focus({ preventScroll: true });
            }
            note(live);
          });
          source.addEventListener('open', function () { note(live); });
          source.addEventListener('error', function () { note('Live updates interrupted; the browser retries.'); });
        })();
        """;

    /// <summary>The style sheet: plain, readable, with a visible focus ring; colour never carries meaning alone.</summary>
    public const string Style = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; background: #fff; line-height: 1.4; }
        header { background: #0b3d91; color: #fff; padding: .5rem 1rem; }
        header h1 { margin: .25rem 0; font-size: 1.4rem; }
        header a { color: #fff; }
        nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: .25rem 0; padding: 0; }
        main { padding: 0 1rem 2rem; }
        h2 { font-size: 1.15rem; margin: 1.25rem 0 .5rem; }
        table { border-collapse: collapse; margin-bottom: .5rem; }
        caption { text-align: left; font-style: italic; padding: .25rem 0; }
        th, td { border: 1px solid #8c959f; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        thead th { background: #eaeef2; }
        small { color: #424a53; }
        .health.ok { color: #116329; font-weight: 600; }
        .health.bad { color: #a40e26; font-weight: 700; }
        .health.unknown { color: #6e7781; }
        .flag, .alerts strong { color: #a40e26; }
        .skip { position: absolute; left: -10000px; }
        .skip:focus { position: static; display: inline-block; padding: .5rem; background: #fff; color: #0b3d91; }
        a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #bf8700; outline-offset: 2px; }
        """;
}
