namespace Serverless.LocalArm.Templates;

/// <summary>A template ARM would refuse (code and message as ARM words them, roughly).</summary>
public sealed class TemplateException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>An expression this test double does not evaluate; callers keep the literal text.</summary>
public sealed class UnsupportedExpressionException(string message) : Exception(message);
