using System.Text.RegularExpressions;
using Serverless.Pipeline.Approvals;
using Serverless.Pipeline.Http;

namespace Serverless.Pipeline.Hosting;

/// <summary>
/// What must never reach a log in clear, wherever it appears in a message or a logged value (request URLs logged by
/// ASP.NET Core in particular): the values of the <c>secret</c> and <c>code</c> query parameters (the Event Grid
/// webhook's shared secret, a Functions key), and the signature of an approval link's token in <c>/api/approvals/{token}</c>
/// (<see cref="ApprovalToken.Redact"/>: run, gate and decision stay readable, the link no longer works).
/// </summary>
public static partial class LogRedaction
{
    public const string Redacted = "REDACTED";

    private const string LinkPath = "/" + Routes.Prefix + "/approvals/";

    /// <summary><paramref name="text"/> with every secret replaced; the same instance when it holds none.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains(LinkPath, StringComparison.Ordinal))
            text = LinkToken().Replace(text, token => ApprovalToken.Redact(token.Value));
        if (text.Contains('='))
            text = SecretParameter().Replace(text, Redacted);
        return text;
    }

    [GeneratedRegex(@"(?<=[?&](?:secret|code)=)[^&#\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    // Not a route template such as /api/approvals/{token}.
    [GeneratedRegex(@"(?<=" + LinkPath + @")(?!\{)[^/?#\s""'<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex LinkToken();
}
