using Microsoft.Extensions.Configuration;

namespace Serverless.LocalArm;

/// <summary>Settings of the Azure Resource Manager test double.</summary>
public sealed class LocalArmOptions
{
    /// <summary>HTTPS loopback address(es), semicolon separated; port 0 picks a free port.</summary>
    public string Urls { get; set; } = "https://127.0.0.1:0";

    /// <summary>Where to write the self-signed certificate (PEM, no private key) once listening.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Polling hint sent with every long-running operation (Retry-After / retry-after-ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long every deployment stays Running at least (a SlowDeployment fault adds to it).</summary>
    public TimeSpan MinimumDeploymentDuration { get; set; } = TimeSpan.Zero;

    /// <summary>The clock; tests may pass a fake one.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Log ASP.NET Core's own messages at this level and above.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Reads <c>--urls</c>, <c>--CertificateFile</c>, <c>--PollIntervalMs</c> and <c>--MinimumDeploymentMs</c>.</summary>
    public static LocalArmOptions FromCommandLine(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("LOCALARM_")
            .AddCommandLine(args)
            .Build();
        var options = new LocalArmOptions();
        options.Urls = configuration["urls"] ?? options.Urls;
        options.CertificateFile = configuration["CertificateFile"];
        if (configuration.GetValue<int?>("PollIntervalMs") is { } poll)
            options.PollInterval = TimeSpan.FromMilliseconds(poll);
        if (configuration.GetValue<int?>("MinimumDeploymentMs") is { } minimum)
            options.MinimumDeploymentDuration = TimeSpan.FromMilliseconds(minimum);
        options.MinimumLogLevel = configuration.GetValue("LogLevel", LogLevel.Information);
        return options;
    }
}
