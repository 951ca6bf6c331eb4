# /bin/mirari-reseed in every VM image: the guest's reader of restore lines, started once by the init
# (before the JVM) as  mirari-reseed <RESTORE-PORT 3<>FIFO  and running until its port ends. For each
# line "mirari-restore gen=N time=SECONDS.MMM seed=HEX ..." on stdin it
#   1. sets the wall clock to the line's host time, to the millisecond (clock_settime);
#   2. adds the seed's text to the kernel's entropy pool, crediting 4 bits per byte (RNDADDENTROPY),
#      and makes the CRNG take a new key from the pool at once (RNDRESEEDCRNG): a write to
#      /dev/urandom only mixes into the pool, and the CRNG would go on with the key every copy shares;
#   3. writes the words after "mirari-restore " (newline included) to fd 3, the FIFO the runtime reads.
# A line on which step 1 or 2 fails (a malformed time; EPERM when not root) is still handed over,
# after "mirari-vm: restore: the clock could not be set or the kernel RNG reseeded" on stdout (the
# console). Other lines are ignored; a line longer than 4096 bytes is dropped. With the word trace=1
# each step is stamped in the kernel's log (/dev/kmsg: "mirari-trace TIME read|reseeded|handed"; see
# the runtime's RestoreTrace). Exit 0 at the end of stdin, 1 when /dev/urandom cannot be opened.
# Why a program of its own, in assembly: after a restore every program the guest runs is code that
# TCG translates again, so the shell loop this replaces (read byte by byte, a fork and exec of the
# reseed for each line, the FIFO opened each time) cost 100-250 ms of a restore; busybox has no
# ioctl applet; and the JVM's first foreign calls cost seconds under TCG.
# Built (binutils) with: as -o r.o mirari-reseed.s && ld -static -nostdlib -N -s --build-id=none -z noseparate-code -o mirari-reseed r.o
# Syscalls: read 0, write 1, open 2, ioctl 16, clock_settime 227 (CLOCK_REALTIME = 0,
# struct timespec { long tv_sec; long tv_nsec; }), exit_group 231. RNDADDENTROPY = _IOW('R', 0x03,
# int[2]) = 0x40085203 and RNDRESEEDCRNG = _IO('R', 0x07) = 0x5207 (linux/random.h), given
# struct rand_pool_info { int entropy_count; int buf_size; u32 buf[]; }.
.intel_syntax noprefix
.set LINEMAX, 4096
.globl _start
_start:
  lea rdi, [rip + urandom]
  mov esi, 1
  mov eax, 2
  syscall
  test eax, eax
  js die
  mov r15d, eax
  lea rdi, [rip + kmsg]
  mov esi, 1
  mov eax, 2
  syscall
  mov ebx, eax
  xor r12d, r12d
more:
  cmp r12, LINEMAX
  jb room
  xor r12d, r12d
room:
  xor edi, edi
  lea rsi, [rip + line]
  add rsi, r12
  mov edx, LINEMAX
  sub rdx, r12
  xor eax, eax
  syscall
  cmp rax, -4
  je more
  test rax, rax
  jle done
  add r12, rax
scan:
  mov rcx, r12
  test rcx, rcx
  jz more
  lea rdi, [rip + line]
  mov al, 10
  repne scasb
  jne more
  lea r14, [rdi - 1]
  call handle
  lea rsi, [r14 + 1]
  lea rdi, [rip + line]
  mov rcx, rdi
  add rcx, r12
  sub rcx, rsi
  mov r12, rcx
  rep movsb
  jmp scan
done:
  xor edi, edi
  mov eax, 231
  syscall
die:
  mov edi, 1
  mov eax, 231
  syscall

# One line, from line to the newline at r14.
handle:
  lea rsi, [rip + line]
  mov rax, r14
  sub rax, rsi
  cmp rax, 15
  jb back
  lea rdi, [rip + prefix]
  mov ecx, 15
  repe cmpsb
  jne back
  mov r13, rsi
  mov byte ptr [rip + bad], 0
  mov byte ptr [rip + traced], 0
  lea rdi, [rip + k_trace]
  mov edx, 6
  call findword
  cmp rdx, 1
  jne untraced
  cmp byte ptr [rax], '1'
  jne untraced
  mov byte ptr [rip + traced], 1
untraced:
  lea rdi, [rip + k_time]
  mov edx, 5
  call findword
  mov [rip + tptr], rax
  mov [rip + tlen], rdx
  lea rdi, [rip + s_read]
  call stamp
  mov rsi, [rip + tptr]
  mov rcx, [rip + tlen]
  call settime
  lea rdi, [rip + k_seed]
  mov edx, 5
  call findword
  call reseed
  lea rdi, [rip + s_reseeded]
  call stamp
  cmp byte ptr [rip + bad], 0
  je hand
  mov edi, 1
  lea rsi, [rip + failed]
  mov edx, failed_end - failed
  mov eax, 1
  syscall
hand:
  mov edi, 3
  mov rsi, r13
  mov rdx, r14
  sub rdx, r13
  inc rdx
  mov eax, 1
  syscall
  cmp rax, -4
  je hand
  lea rdi, [rip + s_handed]
  call stamp
back:
  ret

# The value of the word KEY (rdi, rdx bytes long, "key=") in [r13, r14): rax = its start, rdx = its
# length; rax = rdx = 0 when there is no such word.
findword:
  mov r8, r13
wnext:
  mov rax, r14
  sub rax, r8
  cmp rax, rdx
  jb wnone
  cmp r8, r13
  je wtry
  cmp byte ptr [r8 - 1], ' '
  jne wskip
wtry:
  mov rsi, r8
  mov r9, rdi
  mov rcx, rdx
  repe cmpsb
  mov rdi, r9
  jne wskip
  mov rax, rsi
wend:
  cmp rsi, r14
  je wfound
  cmp byte ptr [rsi], ' '
  je wfound
  inc rsi
  jmp wend
wfound:
  mov rdx, rsi
  sub rdx, rax
  ret
wskip:
  inc r8
  jmp wnext
wnone:
  xor eax, eax
  xor edx, edx
  ret

# The clock from "SECONDS.MMM" at rsi (rcx bytes: 1-12 digits, a dot, exactly 3 digits); bad = 1 if not.
settime:
  test rsi, rsi
  jz tbad
  lea r9, [rsi + rcx]
  xor eax, eax
  xor r10d, r10d
secs:
  cmp rsi, r9
  je tbad
  movzx edx, byte ptr [rsi]
  inc rsi
  cmp dl, '.'
  je millis
  sub edx, '0'
  cmp edx, 9
  ja tbad
  imul rax, rax, 10
  add rax, rdx
  inc r10
  cmp r10, 12
  ja tbad
  jmp secs
millis:
  test r10, r10
  jz tbad
  mov [rip + ts], rax
  mov rax, r9
  sub rax, rsi
  cmp rax, 3
  jne tbad
  xor eax, eax
  mov ecx, 3
digit:
  movzx edx, byte ptr [rsi]
  inc rsi
  sub edx, '0'
  cmp edx, 9
  ja tbad
  imul eax, eax, 10
  add eax, edx
  dec ecx
  jnz digit
  imul rax, rax, 1000000
  mov [rip + ts + 8], rax
  xor edi, edi
  lea rsi, [rip + ts]
  mov eax, 227
  syscall
  test rax, rax
  jnz tbad
  ret
tbad:
  mov byte ptr [rip + bad], 1
  ret

# The kernel's RNG from the seed's text at rax (rdx bytes, at most 512 taken); bad = 1 if it fails.
reseed:
  test rdx, rdx
  jz rbad
  cmp rdx, 512
  jbe rsize
  mov edx, 512
rsize:
  mov [rip + buf + 4], edx
  lea ecx, [rdx * 4]
  mov [rip + buf], ecx
  mov rsi, rax
  lea rdi, [rip + buf + 8]
  mov rcx, rdx
  rep movsb
  mov edi, r15d
  mov esi, 0x40085203
  lea rdx, [rip + buf]
  mov eax, 16
  syscall
  test rax, rax
  jnz rbad
  mov edi, r15d
  mov esi, 0x5207
  mov eax, 16
  syscall
  test rax, rax
  jnz rbad
  ret
rbad:
  mov byte ptr [rip + bad], 1
  ret

# With trace=1: "<7>mirari-trace TIME STEP" (STEP: the NUL-terminated name at rdi) as one kernel-log record.
stamp:
  cmp byte ptr [rip + traced], 0
  je sdone
  test ebx, ebx
  js sdone
  mov r9, rdi
  lea rdi, [rip + sbuf]
  lea rsi, [rip + s_prefix]
  mov ecx, 16
  rep movsb
  mov rsi, [rip + tptr]
  mov rcx, [rip + tlen]
  cmp rcx, 20
  jbe scopy
  mov ecx, 20
scopy:
  rep movsb
  mov byte ptr [rdi], ' '
  inc rdi
sname:
  mov al, [r9]
  test al, al
  jz snl
  mov [rdi], al
  inc rdi
  inc r9
  jmp sname
snl:
  mov byte ptr [rdi], 10
  inc rdi
  mov rdx, rdi
  lea rsi, [rip + sbuf]
  sub rdx, rsi
  mov edi, ebx
  mov eax, 1
  syscall
sdone:
  ret

urandom: .asciz "/dev/urandom"
kmsg: .asciz "/dev/kmsg"
prefix: .ascii "mirari-restore "
k_time: .ascii "time="
k_seed: .ascii "seed="
k_trace: .ascii "trace="
s_prefix: .ascii "<7>mirari-trace "
s_read: .asciz "read"
s_reseeded: .asciz "reseeded"
s_handed: .asciz "handed"
failed: .ascii "mirari-vm: restore: the clock could not be set or the kernel RNG reseeded\n"
failed_end:
.bss
ts: .skip 16
tptr: .skip 8
tlen: .skip 8
bad: .skip 1
traced: .skip 1
.balign 8
buf: .skip 520
sbuf: .skip 64
line: .skip LINEMAX
