; checkpoint.s — the sum of the squares 1..1000, with a YIELD after every 100 numbers: the points
; where a virtualization unit may stop, save the machine state, and resume it elsewhere.

        .data
msg:    .asciiz "sum of squares 1..1000 = "

        .text
main:   addi    r4, r0, 1               ; i
        add     r5, r0, r0              ; sum
        addi    r7, r0, 100             ; countdown to the next yield
loop:   movi2fp f0, r4
        mult    f1, f0, f0
        movfp2i r6, f1
        add     r5, r5, r6
        subi    r7, r7, 1
        bnez    r7, next
        addi    r7, r0, 100
        trap    6                       ; YIELD
next:   addi    r4, r4, 1
        slei    r8, r4, 1000
        bnez    r8, loop
        addi    r1, r0, msg
        addi    r2, r0, 25
        trap    3
        add     r1, r5, r0
        trap    7
        addi    r1, r0, 10
        trap    9
        trap    0
