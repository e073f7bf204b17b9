namespace Serverless.Pipeline.Definition;

/// <summary>Builds field paths such as <c>stages[1].environments[0].subscription</c>.</summary>
internal static class FieldPath
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";
}
