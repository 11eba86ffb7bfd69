using LatencyGate.Diagnostics;
using Shouldly;
using Xunit;

namespace LatencyGate.Tests.Diagnostics;

/// <summary>Issue 12 item 3 / issue 18 item 7: user errors thrown inside parallel work keep their codes.</summary>
public sealed class UserErrorsTests
{
    private static LatencyGateException Error(string code, string file, int line) => new(code, "m " + code, new SourceLocation(file, line, 1));

    [Fact]
    public void Wrapped_user_errors_come_back_merged_in_a_stable_order_with_the_worst_exit_code()
    {
        var a = Error("LG0024", "b.yaml", 3);
        var b = new LatencyGateException(Diagnostic.Error("LG0300", "none fits", new SourceLocation("a.yaml", 9, 1)), ExitCode.GateFailed);
        var one = UserErrors.Unwrap(new AggregateException(a, new AggregateException(b, a))).ShouldBeOfType<LatencyGateException>();
        var other = UserErrors.Unwrap(new AggregateException(b, a)).ShouldBeOfType<LatencyGateException>();

        one.Diagnostics.Select(d => d.ToString()).ShouldBe(other.Diagnostics.Select(d => d.ToString()), "same diagnostics whatever the thread order");
        one.Diagnostics.Select(d => d.Code).ShouldBe(["LG0300", "LG0024"]);
        one.ExitCode.ShouldBe(ExitCode.InvalidInput);
    }

    [Fact]
    public void Cancellation_stays_cancellation_and_a_bug_stays_a_bug()
    {
        UserErrors.Unwrap(new AggregateException(new OperationCanceledException(), new TaskCanceledException())).ShouldBeAssignableTo<OperationCanceledException>();
        UserErrors.Unwrap(new AggregateException(new InvalidOperationException("bug"))).ShouldBeNull();
        UserErrors.Unwrap(new System.Reflection.TargetInvocationException(Error("LG0001", "x", 1))).ShouldBeOfType<LatencyGateException>().Diagnostics[0].Code.ShouldBe("LG0001");
        var direct = Error("LG0001", "x", 1);
        UserErrors.Unwrap(direct).ShouldBeSameAs(direct);
    }

    [Fact]
    public void Parallel_for_rethrows_a_user_error_as_itself()
    {
        var thrown = Should.Throw<LatencyGateException>(() => UserErrors.Rethrowing(() =>
            Parallel.For(0, 8, i =>
            {
                if (i % 3 == 1)
                {
                    throw Error("LG0023", "t.yaml", i);
                }
            })));
        thrown.Diagnostics.ShouldAllBe(d => d.Code == "LG0023");
        Should.Throw<AggregateException>(() => UserErrors.Rethrowing(() => Parallel.For(0, 2, _ => throw new InvalidOperationException("bug"))));
    }
}
