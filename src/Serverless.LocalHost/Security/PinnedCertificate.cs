using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Serverless.LocalHost.Security;

/// <summary>
/// TEST DOUBLE ONLY (<c>AzureAd:TrustedCertificateFile</c>): the certificate of an identity-provider stand-in on this
/// machine, read from a PEM file, and HTTP handlers that accept a server's certificate only when it is exactly that
/// one (pinning: no store, no chain). Text before the PEM block is ignored.
/// </summary>
public sealed class PinnedCertificate
{
    private readonly byte[] _expected;

    private PinnedCertificate(byte[] expected) => _expected = expected;

    /// <summary>The certificate in the file, or what is wrong with the file in one line.</summary>
    public static (PinnedCertificate? Certificate, string? Problem) Read(string pemFile, string setting)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pemFile));
            return (new PinnedCertificate(certificate.RawData), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return (null, $"{setting} '{pemFile}' must be a readable PEM certificate file: {e.Message}");
        }
    }

    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback =
            (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(_expected);
        return handler;
    }
}
