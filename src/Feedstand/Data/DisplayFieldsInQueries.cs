using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Feedstand.Data;

/// <summary>
/// Lets a query read <see cref="Feed.DisplayTitle"/>, <see cref="Feed.DisplayDescription"/> and
/// <see cref="Feed.DisplayIconUrl"/> like columns: before EF Core compiles a query, each read of one
/// of them is replaced by its expression on <see cref="Feed"/> (<c>TitleOverride ?? Title ?? FeedUrl</c>),
/// which both providers translate to <c>COALESCE(...)</c>. The query stays one SQL statement; nothing
/// is evaluated on the client. EF Core caches the compiled query, so this runs once per query shape.
/// Registered with both providers in <see cref="FeedstandServices.ConfigureSqlite"/> and <see cref="FeedstandServices.ConfigurePostgres"/>.
/// </summary>
internal sealed class DisplayFieldsInQueries : ExpressionVisitor, IQueryExpressionInterceptor
{
    public static readonly DisplayFieldsInQueries Instance = new();

    private static readonly Dictionary<MemberInfo, LambdaExpression> Expansions = new()
    {
        [typeof(Feed).GetProperty(nameof(Feed.DisplayTitle))!] = Feed.DisplayTitleExpression,
        [typeof(Feed).GetProperty(nameof(Feed.DisplayDescription))!] = Feed.DisplayDescriptionExpression,
        [typeof(Feed).GetProperty(nameof(Feed.DisplayIconUrl))!] = Feed.DisplayIconUrlExpression,
    };

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData) => Visit(queryExpression);

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Expression is { } instance && Expansions.TryGetValue(node.Member, out var expansion))
        {
            return new ReplaceParameter(expansion.Parameters[0], Visit(instance)).Visit(expansion.Body);
        }
        return base.VisitMember(node);
    }

    private sealed class ReplaceParameter(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }
}
