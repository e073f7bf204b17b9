using System.Security.Cryptography.X509Certificates;

namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>
/// TEST DOUBLE ONLY (<c>Arm:TrustedCertificateFile</c>): an HTTP handler that accepts the server's
/// certificate only when it is exactly the one in a PEM file (certificate pinning, no store, no chain).
/// LocalArm writes that file with <c>--CertificateFile</c>; text before the PEM block is ignored.
/// </summary>
internal static class TrustedCertificate
{
    public static SocketsHttpHandler CreateHandler(string pemFile)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(pemFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Arm:TrustedCertificateFile '{pemFile}' cannot be read ({e.Message}). It is the PEM file LocalArm writes with --CertificateFile once it listens; start LocalArm first.", e);
        }
        byte[] expected;
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            expected = certificate.RawData;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"Arm:TrustedCertificateFile '{pemFile}' holds no PEM certificate: {e.Message}", e);
        }
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback =
            (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(expected);
        return handler;
    }
}
