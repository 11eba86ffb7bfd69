using System.Text;
using LatencyGate.Diagnostics;

namespace LatencyGate.Cli;

/// <summary>
/// The process's stdout and stderr as the commands see them. Writing to a standard stream can fail
/// (stdout redirected to a full disk or <c>/dev/full</c>, a closed descriptor): on stdout that is the
/// user's environment, reported as LG0860 with exit code 2 instead of an internal error; on stderr
/// there is nowhere left to report anything, so the failure is dropped and the exit code alone speaks.
/// </summary>
internal static class StandardStreams
{
    public static TextWriter Stdout(TextWriter inner) => TextWriter.Synchronized(new Guarded(inner, failLoudly: true));

    public static TextWriter Stderr(TextWriter inner) => TextWriter.Synchronized(new Guarded(inner, failLoudly: false));

    private sealed class Guarded(TextWriter inner, bool failLoudly) : TextWriter
    {
        private bool _broken;

        public override Encoding Encoding => inner.Encoding;

        public override IFormatProvider FormatProvider => inner.FormatProvider;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string NewLine
        {
            get => inner.NewLine;
            set => inner.NewLine = value;
        }

        public override void Write(char value) => Guard(() => inner.Write(value));

        public override void Write(string? value) => Guard(() => inner.Write(value));

        public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            var copy = buffer.ToString();
            Guard(() => inner.Write(copy));
        }

        public override void WriteLine() => Guard(inner.WriteLine);

        public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

        public override void Flush() => Guard(inner.Flush);

        private void Guard(Action write)
        {
            if (_broken && !failLoudly)
            {
                return;
            }

            try
            {
                write();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _broken = true;
                if (failLoudly)
                {
                    throw new LatencyGateException(CliCodes.StdoutUnwritable, $"cannot write to standard output: {Reason(ex)}");
                }
            }
        }

        // A closed descriptor surfaces as "access denied" wrapping "Bad file descriptor": say the inner one.
        private static string Reason(Exception ex) => ex.InnerException is IOException inner ? inner.Message : ex.Message;
    }
}
