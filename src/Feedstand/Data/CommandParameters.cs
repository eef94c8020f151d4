using System.Data.Common;

namespace Feedstand.Data;

/// <summary>The one way the store's hand-written SQL (claims, search, bulk inserts) binds a value.</summary>
internal static class CommandParameters
{
    /// <summary>Adds a parameter named <paramref name="name"/>; null becomes SQL NULL.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
