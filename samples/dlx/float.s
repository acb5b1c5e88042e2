; float.s — floating point on the DLX: Newton's square root of 2, the Leibniz series for pi, the
; harmonic number H(100), single against double precision, conversions, IEEE infinities and NaN,
; and FP comparisons with BFPT/BFPF. Doubles live in even/odd register pairs; TRAP 8 prints f0:f1.

        .data
one:    .double 1.0
two:    .double 2.0
half:   .double 0.5
four:   .double 4.0
thousand: .double 1000.0
minus27: .double -2.7
bound:  .double 3.1416
zero:   .double 0.0
tenth:  .float  0.1
point3: .float  0.3
s_sqrt: .asciiz "sqrt(2) ~ "
s_pi:   .asciiz "pi ~ "
s_h:    .asciiz "H(100) = "
s_f1:   .asciiz "0.1f * 3 = "
s_f2:   .asciiz " (equal to 0.3f: "
s_tr1:  .asciiz "trunc(1000 * sqrt(2)) = "
s_tr2:  .asciiz "trunc(-2.7) = "
s_inf:  .asciiz "1/0 = "
s_nan:  .asciiz ", 0/0 = "
s_lt:   .asciiz "pi approximation below 3.1416: "
s_yes:  .asciiz "yes"
s_no:   .asciiz "no"
s_close: .asciiz ")"

        .text
main:
; ---- sqrt(2) by Newton: x = (x + 2/x) / 2, six times, from x = 1
        ld      f2, one                 ; x
        ld      f4, two
        ld      f6, half
        addi    r4, r0, 6
newton: divd    f8, f4, f2
        addd    f8, f2, f8
        multd   f2, f6, f8
        subi    r4, r4, 1
        bnez    r4, newton
        movd    f20, f2                 ; keep sqrt(2) in f20
        addi    r1, r0, s_sqrt
        jal     puts
        movd    f0, f2
        trap    8
        jal     newline

; ---- pi by Leibniz: sum over k < 1000 of (-1)^k * 4 / (2k + 1)
        ld      f2, zero                ; sum
        ld      f4, four
        add     r4, r0, r0              ; k
leib:   slli    r5, r4, 1
        addi    r5, r5, 1
        movi2fp f10, r5
        cvti2d  f8, f10                 ; 2k + 1 as a double
        divd    f8, f4, f8
        andi    r6, r4, 1
        bnez    r6, lsub
        addd    f2, f2, f8
        j       lnext
lsub:   subd    f2, f2, f8
lnext:  addi    r4, r4, 1
        slti    r6, r4, 1000
        bnez    r6, leib
        movd    f22, f2                 ; keep the approximation in f22
        addi    r1, r0, s_pi
        jal     puts
        movd    f0, f2
        trap    8
        jal     newline

; ---- H(100) = 1/1 + 1/2 + ... + 1/100
        ld      f2, zero
        ld      f4, one
        addi    r4, r0, 1
harm:   movi2fp f10, r4
        cvti2d  f8, f10
        divd    f8, f4, f8
        addd    f2, f2, f8
        addi    r4, r4, 1
        slei    r6, r4, 100
        bnez    r6, harm
        addi    r1, r0, s_h
        jal     puts
        movd    f0, f2
        trap    8
        jal     newline

; ---- single precision: 0.1f * 3 against 0.3f
        lf      f1, tenth
        addi    r5, r0, 3
        movi2fp f3, r5
        cvti2f  f3, f3
        multf   f5, f1, f3
        addi    r1, r0, s_f1
        jal     puts
        cvtf2d  f0, f5
        trap    8
        addi    r1, r0, s_f2
        jal     puts
        lf      f7, point3
        eqf     f5, f7
        jal     yesno
        addi    r1, r0, s_close
        jal     puts
        jal     newline

; ---- conversions truncate toward zero
        addi    r1, r0, s_tr1
        jal     puts
        ld      f8, thousand
        multd   f8, f8, f20
        cvtd2i  f9, f8
        movfp2i r1, f9
        trap    7
        jal     newline
        addi    r1, r0, s_tr2
        jal     puts
        ld      f8, minus27
        cvtd2i  f9, f8
        movfp2i r1, f9
        trap    7
        jal     newline

; ---- IEEE: dividing by zero gives infinity or NaN, no trap
        addi    r1, r0, s_inf
        jal     puts
        ld      f2, one
        ld      f4, zero
        divd    f0, f2, f4
        trap    8
        addi    r1, r0, s_nan
        jal     puts
        divd    f0, f4, f4
        trap    8
        jal     newline

; ---- comparison: is the Leibniz approximation below 3.1416?
        addi    r1, r0, s_lt
        jal     puts
        ld      f8, bound
        ltd     f22, f8
        jal     yesno
        jal     newline
        trap    0

; yesno: prints "yes" if the FP status bit is set, else "no"
yesno:  add     r12, r31, r0
        addi    r1, r0, s_yes
        bfpt    yn
        addi    r1, r0, s_no
yn:     jal     puts
        jr      r12

; puts(r1): writes a NUL-terminated string
puts:   add     r2, r1, r0
plen:   lbu     r3, 0(r2)
        beqz    r3, pout
        addi    r2, r2, 1
        j       plen
pout:   sub     r2, r2, r1
        trap    3
        jr      r31

newline: addi   r1, r0, 10
        trap    9
        jr      r31
