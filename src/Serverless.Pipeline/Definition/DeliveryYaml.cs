using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Definition;

/// <summary>
/// The entry point for <c>delivery.yaml</c>, the pipeline definition at the root of a stack
/// (the format is described in docs/delivery-yaml.md).
/// </summary>
public static class DeliveryYaml
{
    /// <summary>The name of the file at the stack root.</summary>
    public const string FileName = "delivery.yaml";

    /// <summary>
    /// Reads and validates the whole file. The result holds the definition when the file has no problem;
    /// otherwise it holds every problem found (syntax errors first stop the reading, as nothing after them can be trusted),
    /// in file order, each with its file, line, column and field path.
    /// </summary>
    /// <param name="fileName">The name to report problems against, such as <c>delivery.yaml</c> or <c>stacks/network/delivery.yaml</c>.</param>
    /// <param name="yamlText">The file's text.</param>
    /// <param name="governance">
    /// The stack's registration: environments are resolved against it and the approval policy may only tighten it. Without it
    /// (a file checked on its own) environments keep the targets the file writes and the approval section is taken as written.
    /// </param>
    public static DeliveryParseResult Parse(string fileName, string yamlText, StackGovernance? governance = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(yamlText);
        var problems = new ProblemSink(fileName);
        var root = YamlTreeLoader.Load(yamlText, problems);
        var definition = root is null ? null : DeliveryDefinitionReader.Read(root, problems, governance);
        return new DeliveryParseResult(problems.Count == 0 ? definition : null, problems.InFileOrder());
    }
}
