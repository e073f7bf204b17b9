using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Serverless.LocalArm.Hosting;

/// <summary>
/// The certificate the test double serves: made at start, self-signed, for 127.0.0.1 and
/// localhost only, valid for a week. Clients trust exactly this certificate (pinning), never a
/// store.
/// </summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=LocalArm test double of Azure Resource Manager", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        // A round trip through PKCS#12 gives a key that every TLS stack accepts.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The public certificate as PEM, preceded by explanatory lines (RFC 7468 allows them).</summary>
    public static string ToPem(X509Certificate2 certificate, Uri endpoint)
    {
        var text = new StringBuilder();
        text.AppendLine("LocalArm: test double of Azure Resource Manager. Trust this certificate for this endpoint only.");
        text.AppendLine($"endpoint: {endpoint}");
        text.AppendLine($"sha256: {certificate.GetCertHashString(HashAlgorithmName.SHA256)}");
        text.AppendLine(certificate.ExportCertificatePem());
        return text.ToString();
    }

    /// <summary>Writes the PEM file atomically, so that a reader that sees the file sees a listening server.</summary>
    public static void WriteFile(X509Certificate2 certificate, Uri endpoint, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, ToPem(certificate, endpoint));
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>
    /// A handler that accepts the server's certificate only if it is exactly <paramref name="trusted"/>.
    /// Clients outside this project can do the same with the PEM file and
    /// <see cref="X509Certificate2.CreateFromPem(ReadOnlySpan{char})"/>.
    /// </summary>
    public static SocketsHttpHandler CreateTrustingHandler(X509Certificate2 trusted)
    {
        var expected = trusted.RawData;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback =
            (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(expected);
        return handler;
    }
}
