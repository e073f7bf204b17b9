using Microsoft.AspNetCore.Http;

namespace Serverless.Pipeline.Triggers;

/// <summary>Reads a request body as bytes, as signatures are computed over them, up to a limit.</summary>
public static class RawBody
{
    public static async Task<(byte[]? Body, bool TooLarge)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellation)
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
