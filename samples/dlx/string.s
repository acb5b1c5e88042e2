; string.s — C-style string routines on NUL-terminated strings: strlen, strrev, strupper, a
; palindrome check, and puts.
; Input 0: the string (default "Hello, DLX world"). Output: four lines (length, reversed, upper, palindrome).

        .data
default: .asciiz "Hello, DLX world"
l_len:  .asciiz "length: "
l_rev:  .asciiz "reversed: "
l_up:   .asciiz "upper: "
l_pal:  .asciiz "palindrome: "
yes:    .asciiz "yes"
no:     .asciiz "no"
        .align  2
heap:                                   ; the string, then a work buffer of the same size

        .text
main:   lhi     r20, heap >> 16         ; r20 = the string
        ori     r20, r20, heap & 0xffff
        addi    r1, r0, 0               ; length of input 0
        add     r2, r20, r0
        add     r3, r0, r0
        trap    2
        slti    r3, r1, 0
        bnez    r3, builtin
        add     r3, r1, r0
        add     r21, r20, r1            ; NUL after the text
        addi    r1, r0, 0
        add     r2, r20, r0
        trap    2
        sb      0(r21), r0
        j       go
builtin: addi   r20, r0, default
go:     add     r1, r20, r0             ; r22 = strlen(s); r23 = a buffer after it
        jal     strlen
        add     r22, r1, r0
        add     r23, r20, r22
        addi    r23, r23, 1

        addi    r1, r0, l_len           ; "length: N"
        jal     puts
        add     r1, r22, r0
        trap    7
        jal     newline

        addi    r1, r0, l_rev           ; "reversed: ..."
        jal     puts
        add     r1, r20, r0
        add     r2, r23, r0
        jal     strrev
        add     r1, r23, r0
        jal     puts
        jal     newline

        addi    r1, r0, l_up            ; "upper: ..."
        jal     puts
        add     r1, r20, r0
        add     r2, r23, r0
        jal     strupper
        add     r1, r23, r0
        jal     puts
        jal     newline

        addi    r1, r0, l_pal           ; "palindrome: yes|no"
        jal     puts
        add     r1, r20, r0
        jal     ispal
        addi    r2, r0, no
        beqz    r1, answer
        addi    r2, r0, yes
answer: add     r1, r2, r0
        jal     puts
        jal     newline
        trap    0

; strlen(r1) -> r1
strlen: add     r2, r1, r0
slen:   lbu     r3, 0(r2)
        beqz    r3, slend
        addi    r2, r2, 1
        j       slen
slend:  sub     r1, r2, r1
        jr      r31

; strrev(r1 = source, r2 = destination): destination = source reversed (NUL-terminated)
strrev: add     r5, r31, r0
        add     r6, r1, r0
        add     r7, r2, r0
        jal     strlen
        add     r8, r6, r1              ; r8 walks the source backwards from its end
        add     r9, r7, r1
        sb      0(r9), r0
srloop: seq     r3, r8, r6
        bnez    r3, srdone
        subi    r8, r8, 1
        lbu     r3, 0(r8)
        sb      0(r7), r3
        addi    r7, r7, 1
        j       srloop
srdone: jr      r5

; strupper(r1 = source, r2 = destination): ASCII letters a-z become A-Z
strupper:
        lbu     r3, 0(r1)
        sgei    r4, r3, 'a'
        slei    r5, r3, 'z'
        and     r4, r4, r5
        beqz    r4, sukeep
        subi    r3, r3, 32
sukeep: sb      0(r2), r3
        addi    r1, r1, 1
        addi    r2, r2, 1
        bnez    r3, strupper
        jr      r31

; ispal(r1) -> r1 = 1 if the string reads the same backwards (byte for byte)
ispal:  add     r5, r31, r0
        add     r6, r1, r0
        jal     strlen
        add     r7, r6, r1              ; one past the last byte
ploop:  subi    r7, r7, 1
        sge     r3, r6, r7
        bnez    r3, pyes
        lbu     r3, 0(r6)
        lbu     r4, 0(r7)
        sne     r3, r3, r4
        bnez    r3, pno
        addi    r6, r6, 1
        j       ploop
pyes:   addi    r1, r0, 1
        jr      r5
pno:    add     r1, r0, r0
        jr      r5

; puts(r1): writes the NUL-terminated string (no newline); keeps r20..r23
puts:   add     r10, r31, r0
        add     r11, r1, r0
        jal     strlen
        add     r2, r1, r0
        add     r1, r11, r0
        trap    3
        jr      r10

newline: addi   r1, r0, 10
        trap    9
        jr      r31
