using System.Text.Encodings.Web;
using System.Text.Json;

namespace Serverless.LocalArm.Http;

/// <summary>How the test double writes JSON and times, as ARM does (UTC, ISO 8601 with Z).</summary>
internal static class ArmJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerOptions.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
