namespace Serverless.LocalArm.Templates;

/// <summary>The order in which ARM deploys a template's resources: each after everything it depends on, otherwise as declared.</summary>
internal static class DependencyOrder
{
    /// <exception cref="TemplateException">The dependencies form a cycle.</exception>
    public static List<T> Sort<T>(IReadOnlyList<T> items, Func<T, IReadOnlyCollection<T>> dependencies, Func<T, string> describe)
        where T : class
    {
        var placed = new HashSet<T>();
        var order = new List<T>(items.Count);
        while (order.Count < items.Count)
        {
            var next = items.FirstOrDefault(item => !placed.Contains(item) && dependencies(item).All(placed.Contains));
            if (next is null)
            {
                var waiting = items.Where(item => !placed.Contains(item)).Select(describe);
                throw new TemplateException("InvalidTemplate",
                    $"Deployment template validation failed: 'Circular dependency detected on resource: '{string.Join("', '", waiting)}'.'");
            }
            placed.Add(next);
            order.Add(next);
        }
        return order;
    }
}
