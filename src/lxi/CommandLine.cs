using System;
using System.Collections.Generic;

namespace LinuxIsolation.Lxi;

/// <summary>
/// Flags as runc's command line (urfave/cli over Go's flag package) reads them: <c>--name value</c>,
/// <c>--name=value</c>, <c>-n value</c>, boolean flags without a value; flags end at the first positional
/// argument or at <c>--</c>, after which everything is positional (so <c>exec ID sh -c ...</c> and
/// <c>ps ID -ef</c> pass their tails through).
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);

    private CommandLine(List<string> positional)
    {
        Positional = positional;
    }

    public IReadOnlyList<string> Positional { get; }

    /// <summary>The flags a command takes: canonical name, aliases, whether it takes a value, whether it may repeat.</summary>
    internal sealed record Flag(string Name, string[] Aliases, bool TakesValue, bool Repeats = false);

    public static CommandLine Parse(IReadOnlyList<string> args, int start, IReadOnlyList<Flag> flags, out int next, bool stopAtPositional = true)
    {
        var positional = new List<string>();
        var line = new CommandLine(positional);
        int i = start;
        for (; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                i++;
                break;
            }

            if (a.Length < 2 || a[0] != '-')
            {
                if (stopAtPositional)
                {
                    break;
                }

                positional.Add(a);
                continue;
            }

            string body = a.TrimStart('-');
            string? inline = null;
            int eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = body.Substring(eq + 1);
                body = body.Substring(0, eq);
            }

            Flag? flag = null;
            foreach (Flag f in flags)
            {
                if (f.Name == body || Array.IndexOf(f.Aliases, body) >= 0)
                {
                    flag = f;
                    break;
                }
            }

            if (flag is null)
            {
                throw new LxiException($"flag provided but not defined: -{body}") { ShowUsage = true };
            }

            string? value = null;
            if (flag.TakesValue)
            {
                if (inline is not null)
                {
                    value = inline;
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new LxiException($"flag needs an argument: -{body}") { ShowUsage = true };
                }
            }
            else if (inline is not null)
            {
                value = inline;
            }

            if (flag.Repeats)
            {
                if (!line._lists.TryGetValue(flag.Name, out List<string>? list))
                {
                    line._lists[flag.Name] = list = [];
                }

                list.Add(value ?? string.Empty);
            }

            line._values[flag.Name] = value ?? "true";
        }

        next = i;
        if (stopAtPositional)
        {
            for (; i < args.Count; i++)
            {
                positional.Add(args[i]);
            }
        }

        return line;
    }

    public bool IsSet(string name) => _values.ContainsKey(name);

    public string? Value(string name) => _values.TryGetValue(name, out string? v) ? v : null;

    public IReadOnlyList<string> Values(string name) => _lists.TryGetValue(name, out List<string>? l) ? l : [];

    public bool Bool(string name)
    {
        string? v = Value(name);
        return v is not null && v is not ("false" or "0" or "f" or "F" or "FALSE" or "False");
    }
}
