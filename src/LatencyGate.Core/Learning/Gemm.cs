using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LatencyGate.Learning;

/// <summary>
/// Single-precision GEMM, C (+)= op(A) · op(B), in the classic packed form: B is packed once into
/// 16-column panels, each fixed (MC × NC) tile of C packs its own 6-row panels of A, and a
/// register-tiled 6×16 FMA micro-kernel does the work. Every element of C is summed over k in
/// the same order whatever the thread count (the k blocks are fixed and visited in order), so
/// results are bit-identical with 1 or many threads.
/// </summary>
internal static unsafe class Gemm
{
    public const int MR = 6;
    public const int NR = 16;
    private const int KC = 256;
    private const int MC = 96;
    private const int NC = 256;

    /// <summary>True when the AVX2/FMA micro-kernel is in use (otherwise a Vector&lt;float&gt; kernel with the same arithmetic).</summary>
    public static bool UsesAvx2 => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>
    /// C[m,n] = op(A)[m,k] · op(B)[k,n] (+ C when <paramref name="accumulate"/>). A is row-major
    /// with leading dimension <paramref name="lda"/>; op(A) = Aᵀ when <paramref name="transA"/>
    /// (then A is stored [k, lda]); likewise B.
    /// </summary>
    public static void Multiply(
        int m, int n, int k,
        float[] a, int aOffset, int lda, bool transA,
        float[] b, int bOffset, int ldb, bool transB,
        float[] c, int cOffset, int ldc,
        bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
        {
            return;
        }

        CheckExtent(a.Length, aOffset, transA ? k : m, transA ? m : k, lda, nameof(a));
        CheckExtent(b.Length, bOffset, transB ? n : k, transB ? k : n, ldb, nameof(b));
        CheckExtent(c.Length, cOffset, m, n, ldc, nameof(c));
        if (k == 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++)
                {
                    c.AsSpan(cOffset + (i * ldc), n).Clear();
                }
            }

            return;
        }

        var nPanels = (n + NR - 1) / NR;
        var nPad = nPanels * NR;
        var packedB = ArrayPool<float>.Shared.Rent(nPad * k);
        try
        {
            fixed (float* pa = a, pb = b, pc = c, ppb = packedB)
            {
                PackB(pb + bOffset, ldb, transB, k, n, ppb, nPad);
                var aAddress = (nint)(pa + aOffset);
                var cAddress = (nint)(pc + cOffset);
                var packedAddress = (nint)ppb;
                var rowTiles = (m + MC - 1) / MC;
                var colTiles = (n + NC - 1) / NC;
                var tileWork = 2L * Math.Min(MC, m) * Math.Min(NC, n) * k;
                Parallelism.ForBlocks(rowTiles * colTiles, tileWork, tile =>
                {
                    var rt = tile / colTiles;
                    var ct = tile % colTiles;
                    ComputeTile(
                        rt * MC, Math.Min(MC, m - (rt * MC)),
                        ct * NC, Math.Min(NC, n - (ct * NC)),
                        k, (float*)aAddress, lda, transA, (float*)packedAddress, nPad,
                        (float*)cAddress, ldc, accumulate);
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedB);
        }
    }

    /// <summary>C = A·Bᵀ (+C): the forward pass of a layer whose weight is [out, in].</summary>
    public static void MultiplyABt(Matrix a, Matrix b, Matrix c, bool accumulate = false, int rows = -1)
    {
        var m = rows < 0 ? a.Rows : rows;
        CheckShapes(a.Cols == b.Cols && c.Cols == b.Rows && c.Rows >= m && a.Rows >= m);
        Multiply(m, b.Rows, a.Cols, a.Data, 0, a.Cols, false, b.Data, 0, b.Cols, true, c.Data, 0, c.Cols, accumulate);
    }

    /// <summary>C = A·B (+C).</summary>
    public static void MultiplyAB(Matrix a, Matrix b, Matrix c, bool accumulate = false, int rows = -1)
    {
        var m = rows < 0 ? a.Rows : rows;
        CheckShapes(a.Cols == b.Rows && c.Cols == b.Cols && c.Rows >= m && a.Rows >= m);
        Multiply(m, b.Cols, a.Cols, a.Data, 0, a.Cols, false, b.Data, 0, b.Cols, false, c.Data, 0, c.Cols, accumulate);
    }

    /// <summary>C = Aᵀ·B (+C) over the first <paramref name="rows"/> rows of A and B: a weight gradient.</summary>
    public static void MultiplyAtB(Matrix a, Matrix b, Matrix c, bool accumulate = false, int rows = -1)
    {
        var k = rows < 0 ? a.Rows : rows;
        CheckShapes(a.Rows >= k && b.Rows >= k && c.Rows == a.Cols && c.Cols == b.Cols);
        Multiply(a.Cols, b.Cols, k, a.Data, 0, a.Cols, true, b.Data, 0, b.Cols, false, c.Data, 0, c.Cols, accumulate);
    }

    private static void CheckShapes(bool ok)
    {
        if (!ok)
        {
            throw new ArgumentException("matrix shapes do not agree");
        }
    }

    private static void CheckExtent(int length, int offset, int rows, int cols, int ld, string name)
    {
        if (offset < 0 || ld < cols || (rows > 0 && offset + ((long)(rows - 1) * ld) + cols > length))
        {
            throw new ArgumentException($"matrix {name} ({rows}x{cols}, ld {ld}, offset {offset}) overruns its {length} values", name);
        }
    }

    // Packed B: for each k block [p0, p0+kc): panels of NR columns, each kc × NR, zero-padded.
    // Hot: compiled fully optimized at once, so short runs (one CLI call) do not spend their time in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(float* b, int ldb, bool transB, int k, int n, float* dst, int nPad)
    {
        for (var p0 = 0; p0 < k; p0 += KC)
        {
            var kc = Math.Min(KC, k - p0);
            var block = dst + ((long)p0 * nPad);
            for (var j0 = 0; j0 < n; j0 += NR)
            {
                var nr = Math.Min(NR, n - j0);
                var panel = block + ((long)j0 * kc);
                for (var p = 0; p < kc; p++)
                {
                    var row = panel + (p * NR);
                    if (!transB)
                    {
                        var src = b + ((long)(p0 + p) * ldb) + j0;
                        for (var j = 0; j < nr; j++)
                        {
                            row[j] = src[j];
                        }
                    }
                    else
                    {
                        var src = b + ((long)j0 * ldb) + p0 + p;
                        for (var j = 0; j < nr; j++)
                        {
                            row[j] = src[(long)j * ldb];
                        }
                    }

                    for (var j = nr; j < NR; j++)
                    {
                        row[j] = 0f;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float* a, int lda, bool transA, int i0, int mc, int p0, int kc, float* dst)
    {
        for (var ir = 0; ir < mc; ir += MR)
        {
            var mr = Math.Min(MR, mc - ir);
            var panel = dst + (ir * kc);
            for (var p = 0; p < kc; p++)
            {
                var col = panel + (p * MR);
                if (!transA)
                {
                    var src = a + ((long)(i0 + ir) * lda) + p0 + p;
                    for (var i = 0; i < mr; i++)
                    {
                        col[i] = src[(long)i * lda];
                    }
                }
                else
                {
                    var src = a + ((long)(p0 + p) * lda) + i0 + ir;
                    for (var i = 0; i < mr; i++)
                    {
                        col[i] = src[i];
                    }
                }

                for (var i = mr; i < MR; i++)
                {
                    col[i] = 0f;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeTile(
        int i0, int mc, int j0, int nc, int k,
        float* a, int lda, bool transA, float* packedB, int nPad,
        float* c, int ldc, bool accumulate)
    {
        var mcPad = (mc + MR - 1) / MR * MR;
        var packedA = ArrayPool<float>.Shared.Rent(mcPad * Math.Min(KC, k));
        var edge = stackalloc float[MR * NR];
        try
        {
            fixed (float* pa = packedA)
            {
                for (var p0 = 0; p0 < k; p0 += KC)
                {
                    var kc = Math.Min(KC, k - p0);
                    var add = accumulate || p0 > 0;
                    PackA(a, lda, transA, i0, mc, p0, kc, pa);
                    var bBlock = packedB + ((long)p0 * nPad);
                    for (var jr = 0; jr < nc; jr += NR)
                    {
                        var nr = Math.Min(NR, nc - jr);
                        var bPanel = bBlock + ((long)(j0 + jr) * kc);
                        for (var ir = 0; ir < mc; ir += MR)
                        {
                            var mr = Math.Min(MR, mc - ir);
                            var aPanel = pa + (ir * kc);
                            var cTile = c + ((long)(i0 + ir) * ldc) + j0 + jr;
                            if (mr == MR && nr == NR)
                            {
                                Kernel(kc, aPanel, bPanel, cTile, ldc, add);
                            }
                            else
                            {
                                Kernel(kc, aPanel, bPanel, edge, NR, false);
                                for (var i = 0; i < mr; i++)
                                {
                                    for (var j = 0; j < nr; j++)
                                    {
                                        var v = edge[(i * NR) + j];
                                        cTile[((long)i * ldc) + j] = add ? cTile[((long)i * ldc) + j] + v : v;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedA);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            KernelAvx2(kc, a, b, c, ldc, add);
        }
        else
        {
            KernelPortable(kc, a, b, c, ldc, add);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelAvx2(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var av = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            a += MR;
            b += NR;
        }

        Store(c, c00, c01, add);
        Store(c + ldc, c10, c11, add);
        Store(c + (2 * ldc), c20, c21, add);
        Store(c + (3 * ldc), c30, c31, add);
        Store(c + (4 * ldc), c40, c41, add);
        Store(c + (5 * ldc), c50, c51, add);
    }

    private static void Store(float* c, Vector256<float> lo, Vector256<float> hi, bool add)
    {
        if (add)
        {
            lo = Avx.Add(Avx.LoadVector256(c), lo);
            hi = Avx.Add(Avx.LoadVector256(c + 8), hi);
        }

        Avx.Store(c, lo);
        Avx.Store(c + 8, hi);
    }

    // Same arithmetic as the AVX2 kernel (one fused multiply-add per term, k in order), so results agree.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelPortable(int kc, float* a, float* b, float* c, int ldc, bool add)
    {
        var width = Vector<float>.Count;
        var acc = stackalloc float[MR * NR];
        new Span<float>(acc, MR * NR).Clear();
        for (var p = 0; p < kc; p++)
        {
            for (var i = 0; i < MR; i++)
            {
                var av = new Vector<float>(a[i]);
                for (var j = 0; j < NR; j += width)
                {
                    var slot = acc + (i * NR) + j;
                    Vector.Store(Vector.FusedMultiplyAdd(av, Vector.Load(b + j), Vector.Load(slot)), slot);
                }
            }

            a += MR;
            b += NR;
        }

        for (var i = 0; i < MR; i++)
        {
            for (var j = 0; j < NR; j++)
            {
                var v = acc[(i * NR) + j];
                c[((long)i * ldc) + j] = add ? c[((long)i * ldc) + j] + v : v;
            }
        }
    }
}
