using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Core;

// The Keccak-f[1600] permutation, generated lane by lane (the Keccak team's "named lanes" form):
// 25 state lanes in locals, theta/rho/pi/chi/iota fully unrolled, two rounds per loop step so the
// two lane sets swap roles without copies. Lane (x, y) is named by row b/g/k/m/s (y) and column a/e/i/o/u (x).
public static partial class Keccak256
{
    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    [SkipLocalsInit]
    internal static void Permute(Span<ulong> state)
    {
        if (state.Length < 25) throw new ArgumentException("Keccak state needs 25 lanes", nameof(state));
        ulong aba = state[0];
        ulong abe = state[1];
        ulong abi = state[2];
        ulong abo = state[3];
        ulong abu = state[4];
        ulong aga = state[5];
        ulong age = state[6];
        ulong agi = state[7];
        ulong ago = state[8];
        ulong agu = state[9];
        ulong aka = state[10];
        ulong ake = state[11];
        ulong aki = state[12];
        ulong ako = state[13];
        ulong aku = state[14];
        ulong ama = state[15];
        ulong ame = state[16];
        ulong ami = state[17];
        ulong amo = state[18];
        ulong amu = state[19];
        ulong asa = state[20];
        ulong ase = state[21];
        ulong asi = state[22];
        ulong aso = state[23];
        ulong asu = state[24];
        ulong ca, ce, ci, co, cu, da, de, di, @do, du, ba, be, bi, bo, bu;
        ulong eba, ebe, ebi, ebo, ebu, ega, ege, egi, ego, egu, eka, eke, eki;
        ulong eko, eku, ema, eme, emi, emo, emu, esa, ese, esi, eso, esu;
        var constants = RoundConstants;
        for (var round = 0; round < 24; round += 2)
        {
            ca = aba ^ aga ^ aka ^ ama ^ asa;
            ce = abe ^ age ^ ake ^ ame ^ ase;
            ci = abi ^ agi ^ aki ^ ami ^ asi;
            co = abo ^ ago ^ ako ^ amo ^ aso;
            cu = abu ^ agu ^ aku ^ amu ^ asu;
            da = cu ^ BitOperations.RotateLeft(ce, 1);
            de = ca ^ BitOperations.RotateLeft(ci, 1);
            di = ce ^ BitOperations.RotateLeft(co, 1);
            @do = ci ^ BitOperations.RotateLeft(cu, 1);
            du = co ^ BitOperations.RotateLeft(ca, 1);
            ba = aba ^ da;
            be = BitOperations.RotateLeft(age ^ de, 44);
            bi = BitOperations.RotateLeft(aki ^ di, 43);
            bo = BitOperations.RotateLeft(amo ^ @do, 21);
            bu = BitOperations.RotateLeft(asu ^ du, 14);
            eba = ba ^ (~be & bi) ^ constants[round];
            ebe = be ^ (~bi & bo);
            ebi = bi ^ (~bo & bu);
            ebo = bo ^ (~bu & ba);
            ebu = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(abo ^ @do, 28);
            be = BitOperations.RotateLeft(agu ^ du, 20);
            bi = BitOperations.RotateLeft(aka ^ da, 3);
            bo = BitOperations.RotateLeft(ame ^ de, 45);
            bu = BitOperations.RotateLeft(asi ^ di, 61);
            ega = ba ^ (~be & bi);
            ege = be ^ (~bi & bo);
            egi = bi ^ (~bo & bu);
            ego = bo ^ (~bu & ba);
            egu = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(abe ^ de, 1);
            be = BitOperations.RotateLeft(agi ^ di, 6);
            bi = BitOperations.RotateLeft(ako ^ @do, 25);
            bo = BitOperations.RotateLeft(amu ^ du, 8);
            bu = BitOperations.RotateLeft(asa ^ da, 18);
            eka = ba ^ (~be & bi);
            eke = be ^ (~bi & bo);
            eki = bi ^ (~bo & bu);
            eko = bo ^ (~bu & ba);
            eku = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(abu ^ du, 27);
            be = BitOperations.RotateLeft(aga ^ da, 36);
            bi = BitOperations.RotateLeft(ake ^ de, 10);
            bo = BitOperations.RotateLeft(ami ^ di, 15);
            bu = BitOperations.RotateLeft(aso ^ @do, 56);
            ema = ba ^ (~be & bi);
            eme = be ^ (~bi & bo);
            emi = bi ^ (~bo & bu);
            emo = bo ^ (~bu & ba);
            emu = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(abi ^ di, 62);
            be = BitOperations.RotateLeft(ago ^ @do, 55);
            bi = BitOperations.RotateLeft(aku ^ du, 39);
            bo = BitOperations.RotateLeft(ama ^ da, 41);
            bu = BitOperations.RotateLeft(ase ^ de, 2);
            esa = ba ^ (~be & bi);
            ese = be ^ (~bi & bo);
            esi = bi ^ (~bo & bu);
            eso = bo ^ (~bu & ba);
            esu = bu ^ (~ba & be);
            ca = eba ^ ega ^ eka ^ ema ^ esa;
            ce = ebe ^ ege ^ eke ^ eme ^ ese;
            ci = ebi ^ egi ^ eki ^ emi ^ esi;
            co = ebo ^ ego ^ eko ^ emo ^ eso;
            cu = ebu ^ egu ^ eku ^ emu ^ esu;
            da = cu ^ BitOperations.RotateLeft(ce, 1);
            de = ca ^ BitOperations.RotateLeft(ci, 1);
            di = ce ^ BitOperations.RotateLeft(co, 1);
            @do = ci ^ BitOperations.RotateLeft(cu, 1);
            du = co ^ BitOperations.RotateLeft(ca, 1);
            ba = eba ^ da;
            be = BitOperations.RotateLeft(ege ^ de, 44);
            bi = BitOperations.RotateLeft(eki ^ di, 43);
            bo = BitOperations.RotateLeft(emo ^ @do, 21);
            bu = BitOperations.RotateLeft(esu ^ du, 14);
            aba = ba ^ (~be & bi) ^ constants[round + 1];
            abe = be ^ (~bi & bo);
            abi = bi ^ (~bo & bu);
            abo = bo ^ (~bu & ba);
            abu = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(ebo ^ @do, 28);
            be = BitOperations.RotateLeft(egu ^ du, 20);
            bi = BitOperations.RotateLeft(eka ^ da, 3);
            bo = BitOperations.RotateLeft(eme ^ de, 45);
            bu = BitOperations.RotateLeft(esi ^ di, 61);
            aga = ba ^ (~be & bi);
            age = be ^ (~bi & bo);
            agi = bi ^ (~bo & bu);
            ago = bo ^ (~bu & ba);
            agu = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(ebe ^ de, 1);
            be = BitOperations.RotateLeft(egi ^ di, 6);
            bi = BitOperations.RotateLeft(eko ^ @do, 25);
            bo = BitOperations.RotateLeft(emu ^ du, 8);
            bu = BitOperations.RotateLeft(esa ^ da, 18);
            aka = ba ^ (~be & bi);
            ake = be ^ (~bi & bo);
            aki = bi ^ (~bo & bu);
            ako = bo ^ (~bu & ba);
            aku = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(ebu ^ du, 27);
            be = BitOperations.RotateLeft(ega ^ da, 36);
            bi = BitOperations.RotateLeft(eke ^ de, 10);
            bo = BitOperations.RotateLeft(emi ^ di, 15);
            bu = BitOperations.RotateLeft(eso ^ @do, 56);
            ama = ba ^ (~be & bi);
            ame = be ^ (~bi & bo);
            ami = bi ^ (~bo & bu);
            amo = bo ^ (~bu & ba);
            amu = bu ^ (~ba & be);
            ba = BitOperations.RotateLeft(ebi ^ di, 62);
            be = BitOperations.RotateLeft(ego ^ @do, 55);
            bi = BitOperations.RotateLeft(eku ^ du, 39);
            bo = BitOperations.RotateLeft(ema ^ da, 41);
            bu = BitOperations.RotateLeft(ese ^ de, 2);
            asa = ba ^ (~be & bi);
            ase = be ^ (~bi & bo);
            asi = bi ^ (~bo & bu);
            aso = bo ^ (~bu & ba);
            asu = bu ^ (~ba & be);
        }
        state[0] = aba;
        state[1] = abe;
        state[2] = abi;
        state[3] = abo;
        state[4] = abu;
        state[5] = aga;
        state[6] = age;
        state[7] = agi;
        state[8] = ago;
        state[9] = agu;
        state[10] = aka;
        state[11] = ake;
        state[12] = aki;
        state[13] = ako;
        state[14] = aku;
        state[15] = ama;
        state[16] = ame;
        state[17] = ami;
        state[18] = amo;
        state[19] = amu;
        state[20] = asa;
        state[21] = ase;
        state[22] = asi;
        state[23] = aso;
        state[24] = asu;
    }
}
