namespace Thalamus.Dlx;

/// <summary>Text sections form the (read-only, decoded once) code region; data sections are ordinary memory.</summary>
public enum DlxSectionKind : byte
{
    Text = 1,
    Data = 2,
}
