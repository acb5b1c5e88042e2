; factorial.s — n! by recursion, with the integer multiply of the DLX (MULT works on float registers).
; Input 0: n in decimal (default 10). Output: "n! = value" (32-bit, wraps for n > 12).
; Traps (docs/dlx.md): 0 halt, 2 read input, 3 write output, 7 print int, 9 print char.

        .data
buf:    .space  32
equals: .ascii  "! = "

        .text
        .global main
main:   addi    r4, r0, 10              ; n = 10 unless an input says otherwise
        addi    r1, r0, 0               ; READ_INPUT(index 0, buf, 31)
        addi    r2, r0, buf
        addi    r3, r0, 31
        trap    2
        slti    r5, r1, 0               ; r1 = -1: no input
        bnez    r5, have_n
        slti    r5, r1, 32              ; never parse more than the buffer holds
        bnez    r5, short
        addi    r1, r0, 31
short:  addi    r2, r0, buf
        jal     atoi
        add     r4, r1, r0
have_n: add     r1, r4, r0              ; print n
        trap    7
        addi    r1, r0, equals          ; print "! = "
        addi    r2, r0, 4
        trap    3
        add     r1, r4, r0
        jal     fact
        trap    7                       ; print n!
        addi    r1, r0, 10              ; '\n'
        trap    9
        trap    0

; fact(r1) -> r1, recursive; keeps r31 and n on the stack (r29 grows down from the top of memory)
fact:   slei    r2, r1, 1
        beqz    r2, recurse
        addi    r1, r0, 1
        jr      r31
recurse:
        subi    r29, r29, 8
        sw      0(r29), r31
        sw      4(r29), r1
        subi    r1, r1, 1
        jal     fact
        lw      r2, 4(r29)
        movi2fp f0, r1
        movi2fp f1, r2
        mult    f2, f0, f1
        movfp2i r1, f2
        lw      r31, 0(r29)
        addi    r29, r29, 8
        jr      r31

; atoi(r2 = address, r1 = length) -> r1: leading decimal digits, stops at the first non-digit
atoi:   add     r6, r0, r0
        add     r8, r2, r1
adigit: seq     r9, r2, r8
        bnez    r9, adone
        lbu     r10, 0(r2)
        subi    r10, r10, '0'
        sgei    r9, r10, 10             ; r10 < 0 or >= 10: not a digit (unsigned check in two steps)
        bnez    r9, adone
        slti    r9, r10, 0
        bnez    r9, adone
        slli    r11, r6, 3              ; r6 = r6 * 10 + digit
        slli    r12, r6, 1
        addu    r6, r11, r12
        addu    r6, r6, r10
        addi    r2, r2, 1
        j       adigit
adone:  add     r1, r6, r0
        jr      r31
