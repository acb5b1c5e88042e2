; bench.s — a compute-heavy loop for measuring the interpreter (MIPS): xorshift32 random numbers
; folded into a 256-word table in memory, 14 instructions per iteration (shifts, logic, a load, a
; store, adds, a branch). Input 0: iterations in decimal (default 5000000). Prints a checksum.

        .data
buf:    .space  16
        .align  2
table:  .space  1024

        .text
main:   lhi     r4, 5000000 >> 16       ; default iteration count
        ori     r4, r4, 5000000 & 0xffff
        addi    r1, r0, 0
        addi    r2, r0, buf
        addi    r3, r0, 15
        trap    2
        slti    r3, r1, 0
        bnez    r3, start
        sgti    r3, r1, 15
        beqz    r3, parse
        addi    r1, r0, 15
parse:  addi    r2, r0, buf
        add     r4, r0, r0
        add     r8, r2, r1
digit:  seq     r3, r2, r8
        bnez    r3, start
        lbu     r10, 0(r2)
        subi    r10, r10, '0'
        slti    r3, r10, 0
        bnez    r3, start
        sgei    r3, r10, 10
        bnez    r3, start
        slli    r11, r4, 3
        slli    r12, r4, 1
        addu    r4, r11, r12
        addu    r4, r4, r10
        addi    r2, r2, 1
        j       digit
start:  beqz    r4, done
        lhi     r5, 0x92d6              ; seed 2463534242
        ori     r5, r5, 0x8ca2
        addi    r6, r0, table
        add     r7, r0, r0              ; checksum
loop:   slli    r8, r5, 13              ; x ^= x << 13; x ^= x >> 17; x ^= x << 5
        xor     r5, r5, r8
        srli    r8, r5, 17
        xor     r5, r5, r8
        slli    r8, r5, 5
        xor     r5, r5, r8
        andi    r9, r5, 1020            ; table[(x >> 2) & 255] += x
        add     r9, r9, r6
        lw      r10, 0(r9)
        addu    r10, r10, r5
        sw      0(r9), r10
        addu    r7, r7, r10             ; checksum += table entry
        subi    r4, r4, 1
        bnez    r4, loop
done:   add     r1, r7, r0
        trap    7
        addi    r1, r0, 10
        trap    9
        trap    0
