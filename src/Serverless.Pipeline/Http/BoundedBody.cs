using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Http;

/// <summary>
/// The one reader of a request body up to a limit, as bytes (webhook signatures are computed over them; JSON is
/// parsed from them). A body that declares or turns out to be larger is not read further.
/// </summary>
public static class BoundedBody
{
    public static async Task<(byte[]? Body, bool TooLarge)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellation)
    {
        if (request.ContentLength > limit) return (null, true);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limit) return (null, true);
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), false);
    }
}
