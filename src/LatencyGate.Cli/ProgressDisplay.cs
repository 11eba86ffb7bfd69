using System.Diagnostics;
using System.Globalization;
using LatencyGate.Diagnostics;
using Spectre.Console;

namespace LatencyGate.Cli;

/// <summary>
/// What a long command (<c>check</c>, <c>search</c>, <c>fit</c>) is doing, on stderr so stdout keeps
/// only results (one JSON object with <c>--json</c>): a live Spectre.Console bar for a person at a
/// terminal; otherwise (pipes, CI) plain <c>progress: …</c> lines, one at each phase change and at
/// most one every <see cref="HostContext.ProgressInterval"/> within a phase.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>The start of every plain progress line, so logs and tests can tell them from diagnostics.</summary>
    public const string Prefix = "progress: ";

    public static T Run<T>(HostContext host, string title, Func<IProgress<WorkProgress>, T> work)
    {
        if (host.LiveProgress)
        {
            return Live(host, title, work);
        }

        using var plain = new PlainProgress(host.Stderr, host.ProgressInterval);
        return work(plain);
    }

    private static T Live<T>(HostContext host, string title, Func<IProgress<WorkProgress>, T> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(host.Stderr) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 1);
                task.IsIndeterminate = true;
                return work(new LiveProgress(task, title));
            });
    }

    /// <summary>Moves the one bar of a live display; Spectre's task is safe to update from worker threads.</summary>
    private sealed class LiveProgress(ProgressTask task, string title) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value)
        {
            task.Description = Markup.Escape($"{title}: {value.Phase}{(value.Item is null ? string.Empty : $" ({value.Item})")}");
            if (value.Total > 0)
            {
                task.IsIndeterminate = false;
                task.MaxValue = value.Total;
                task.Value = value.Done;
            }
            else
            {
                task.IsIndeterminate = true;
            }
        }
    }

    /// <summary>
    /// Plain lines for logs: a phase change is printed at once; within a phase the latest state at
    /// most once per interval, and a timer repeats it when the work is silent for that long (one
    /// device adapting for a minute still shows it is alive). The timer is a thread of its own, not a
    /// thread-pool timer: the parallel loops of the work it reports on can keep every pool thread
    /// busy, and a pool timer's ticks then wait for them.
    /// </summary>
    private sealed class PlainProgress : IProgress<WorkProgress>, IDisposable
    {
        private readonly TextWriter _writer;
        private readonly TimeSpan _interval;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private readonly ManualResetEventSlim _stop = new();
        private readonly Thread _ticker;
        private WorkProgress? _latest;
        private string? _phase;
        private TimeSpan _printedAt;
        private bool _disposed;

        public PlainProgress(TextWriter writer, TimeSpan interval)
        {
            _writer = writer;
            _interval = interval;
            _ticker = new Thread(() =>
            {
                while (!_stop.Wait(interval))
                {
                    Tick();
                }
            })
            { IsBackground = true, Name = "progress lines" };
            _ticker.Start();
        }

        public void Report(WorkProgress value)
        {
            lock (_gate)
            {
                _latest = value;
                if (value.Phase != _phase || _clock.Elapsed - _printedAt >= _interval)
                {
                    Print(value);
                }
            }
        }

        private void Tick()
        {
            lock (_gate)
            {
                if (_latest is { } latest && _clock.Elapsed - _printedAt >= _interval)
                {
                    Print(latest);
                }
            }
        }

        private void Print(WorkProgress value)
        {
            if (_disposed)
            {
                return;
            }

            _phase = value.Phase;
            _printedAt = _clock.Elapsed;
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{value} [{_clock.Elapsed.TotalSeconds:0} s]"));
            _writer.Flush();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
            }

            _stop.Set();
            _ticker.Join();
            _stop.Dispose();
        }
    }
}
