using Serverless.Pipeline.Approvals;

namespace Serverless.LocalHost.Startup;

/// <summary>
/// Self-hosted mode may run without a configured approval signing key: then this process signs with a random key of
/// its own (and warns once it has started), so that the demo works without a secret in the repository.
/// </summary>
public static class ApprovalSigningKey
{
    public static WebApplication UseEphemeralApprovalKeyIfNoneConfigured(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<ApprovalKeyRing>();
        if (keys.UseEphemeralKeyIfNoneConfigured())
            app.Lifetime.ApplicationStarted.Register(keys.WarnIfEphemeral);
        return app;
    }
}
