using Serverless.Pipeline.Workflow;

namespace Serverless.Pipeline.Build;

/// <summary>An artifact's stored bytes do not match its version or manifest: nothing may be deployed from it.</summary>
public sealed class ArtifactIntegrityException(string message) : PermanentStageFailure(message);

/// <summary>Different content was offered under a version that already exists.</summary>
public sealed class ArtifactConflictException(string message) : PermanentStageFailure(message);
