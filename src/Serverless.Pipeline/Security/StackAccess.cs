using Microsoft.AspNetCore.Http;
using Serverless.Pipeline.Http;
using Serverless.Pipeline.Stacks;

namespace Serverless.Pipeline.Security;

/// <summary>
/// A stack's own restriction on who may start or roll it back (<see cref="StackDefinition.Operators"/>), checked
/// after the route's role: an Admin always may; otherwise the authenticated caller must be named in the list. A caller
/// the host could not name (a Function App function key, which the worker never sees) is refused on a restricted stack.
/// </summary>
public static class StackAccess
{
    /// <summary>Null when the caller may <paramref name="action"/> the stack; otherwise the 403 problem to answer.</summary>
    public static IResult? Refusal(StackDefinition stack, HttpRequest request, string action)
    {
        if (stack.Operators is not { } operators) return null;
        var caller = Caller.From(request.HttpContext.User);
        if (caller is not null && Permits(stack, caller)) return null;
        var who = caller is null ? "An unnamed caller (such as a function key)" : $"'{caller.Name}'";
        return Problems.Forbidden($"{who} may not {action} stack '{stack.Name}': only its operators ({string.Join(", ", operators)}) and Admins may.");
    }

    /// <summary>Whether this authenticated caller may operate the stack: an Admin, anyone when it names no operators, else one of them.</summary>
    public static bool Permits(StackDefinition stack, Caller caller) =>
        stack.Operators is not { } operators || caller.Role == AccessLevel.Admin || caller.IsAnyOf(operators);
}
