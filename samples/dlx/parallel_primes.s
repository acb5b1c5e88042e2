; parallel_primes.s — counts the primes below 20000 in four independent segments, which the
; executor may run in parallel (asynchronous execution), then joins their results in main.
; Each segment writes its count as one big-endian word; the join receives the program's inputs
; followed by the four segment outputs, and adds up the last four.

        .segment seg0, seg1, seg2, seg3

        .data
word:   .word   0
msg:    .asciiz "primes below 20000: "

        .text
; ---- the join
main:   trap    1                       ; r1 = number of inputs
        add     r20, r1, r0
        subi    r21, r20, 4             ; index of the first segment output
        slti    r4, r21, 0
        beqz    r4, jfirst
        add     r21, r0, r0
jfirst: add     r22, r0, r0             ; total
jloop:  sge     r4, r21, r20
        bnez    r4, jdone
        add     r1, r21, r0
        addi    r2, r0, word
        addi    r3, r0, 4
        trap    2
        lw      r5, word
        add     r22, r22, r5
        addi    r21, r21, 1
        j       jloop
jdone:  addi    r1, r0, msg
        addi    r2, r0, 20
        trap    3
        add     r1, r22, r0
        trap    7
        addi    r1, r0, 10
        trap    9
        trap    0

; ---- the segments: each counts the primes in [r1, r2)
seg0:   addi    r1, r0, 0
        addi    r2, r0, 5000
        j       count
seg1:   addi    r1, r0, 5000
        addi    r2, r0, 10000
        j       count
seg2:   addi    r1, r0, 10000
        addi    r2, r0, 15000
        j       count
seg3:   addi    r1, r0, 15000
        addi    r2, r0, 20000
        j       count

; trial division; integer MULT/DIV work on float registers
count:  add     r3, r0, r0
nloop:  sge     r4, r1, r2
        bnez    r4, emit
        slti    r4, r1, 2
        bnez    r4, notprime
        movi2fp f2, r1
        addi    r5, r0, 2               ; divisor d
dloop:  movi2fp f0, r5
        mult    f1, f0, f0
        movfp2i r6, f1
        sgt     r4, r6, r1              ; d * d > n: prime
        bnez    r4, prime
        div     f3, f2, f0              ; n = (n / d) * d: divisible
        mult    f4, f3, f0
        movfp2i r7, f4
        seq     r4, r7, r1
        bnez    r4, notprime
        addi    r5, r5, 1
        j       dloop
prime:  addi    r3, r3, 1
notprime: addi  r1, r1, 1
        j       nloop
emit:   sw      word, r3
        addi    r1, r0, word
        addi    r2, r0, 4
        trap    3
        trap    0
