; fibonacci.s — the first N Fibonacci numbers, iteratively, separated by spaces.
; Input 0: N in decimal (default 20, at most 45: the loop also computes fib(N+1), and fib(47)
; does not fit in a signed word; ADD traps on signed overflow, so we clamp instead).

        .data
buf:    .space  16

        .text
main:   addi    r4, r0, 20              ; N
        addi    r1, r0, 0
        addi    r2, r0, buf
        addi    r3, r0, 15
        trap    2                       ; READ_INPUT(0, buf, 15) -> length or -1
        slti    r5, r1, 0
        bnez    r5, clamp
        sgti    r5, r1, 15
        beqz    r5, parse
        addi    r1, r0, 15
parse:  addi    r2, r0, buf
        add     r4, r0, r0
        add     r8, r2, r1
digit:  seq     r9, r2, r8
        bnez    r9, clamp
        lbu     r10, 0(r2)
        subi    r10, r10, 48
        slti    r9, r10, 0
        bnez    r9, clamp
        sgei    r9, r10, 10
        bnez    r9, clamp
        slli    r11, r4, 3
        slli    r12, r4, 1
        add     r4, r11, r12
        add     r4, r4, r10
        addi    r2, r2, 1
        j       digit
clamp:  slei    r5, r4, 45
        bnez    r5, start
        addi    r4, r0, 45
start:  add     r6, r0, r0              ; a = 0
        addi    r7, r0, 1               ; b = 1
        add     r8, r0, r0              ; i = 0
loop:   slt     r9, r8, r4
        beqz    r9, done
        beqz    r8, nosep               ; a space between numbers
        addi    r1, r0, ' '
        trap    9
nosep:  add     r1, r6, r0
        trap    7                       ; print a
        add     r10, r6, r7             ; (a, b) = (b, a + b); traps if it ever overflowed
        add     r6, r7, r0
        add     r7, r10, r0
        addi    r8, r8, 1
        j       loop
done:   addi    r1, r0, 10
        trap    9
        trap    0
