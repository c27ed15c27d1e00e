namespace Graft.Data.Transforms;

/// <summary>
/// A 2-D affine map x' = A·x + B·y + C, y' = D·x + E·y + F, in double precision. Geometric transforms describe
/// themselves as the map from a pixel position in their output to the position it comes from in their input
/// (continuous coordinates: pixel (i, j) covers [i, i+1) × [j, j+1), its centre is (i + 0.5, j + 0.5)).
/// </summary>
public readonly record struct Affine2D(double A, double B, double C, double D, double E, double F)
{
    /// <summary>The map that changes nothing.</summary>
    public static Affine2D Identity { get; } = new(1, 0, 0, 0, 1, 0);

    /// <summary>Whether this is exactly the identity.</summary>
    public bool IsIdentity => this == Identity;

    /// <summary>(x, y) ↦ (x + dx, y + dy).</summary>
    public static Affine2D Translation(double dx, double dy) => new(1, 0, dx, 0, 1, dy);

    /// <summary>(x, y) ↦ (sx·x, sy·y).</summary>
    public static Affine2D Scale(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

    /// <summary>Rotation by <paramref name="radians"/> about (<paramref name="cx"/>, <paramref name="cy"/>), in image coordinates (y down).</summary>
    public static Affine2D Rotation(double radians, double cx, double cy)
    {
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        // p' = R (p − c) + c
        return new Affine2D(cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy);
    }

    /// <summary>Maps a point.</summary>
    public (double X, double Y) Apply(double x, double y) => (A * x + B * y + C, D * x + E * y + F);

    /// <summary>The map that applies this one, then <paramref name="next"/>: p ↦ next(this(p)).</summary>
    public Affine2D Then(Affine2D next) => new(
        next.A * A + next.B * D, next.A * B + next.B * E, next.A * C + next.B * F + next.C,
        next.D * A + next.E * D, next.D * B + next.E * E, next.D * C + next.E * F + next.F);

    /// <summary>Whether the map only translates by whole pixels (so sampling reduces to copying).</summary>
    public bool IsIntegerTranslation =>
        A == 1 && B == 0 && D == 0 && E == 1 && C == Math.Floor(C) && F == Math.Floor(F);
}
