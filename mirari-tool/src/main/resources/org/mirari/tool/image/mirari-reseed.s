# /bin/mirari-reseed [SECONDS.MMM] in every VM image: first, given the restore line's host time
# (exactly digits, a dot and three digits), sets the wall clock to it to the millisecond
# (clock_settime; busybox date takes whole seconds, and stepping to the next second's edge later
# cost a background job). Then reads up to 512 bytes (the restore line's seed, as hex text) from
# stdin, adds them to the kernel's entropy pool and credits 4 bits per byte (RNDADDENTROPY), then
# makes the CRNG take a new key from the pool at once (RNDRESEEDCRNG): a restored copy's
# /dev/urandom then differs from every other copy's. Exit 0, or 1 when the time is malformed
# (before any call) or a call fails (not root: EPERM). A static program of under 1 KiB, because
# busybox has no ioctl applet, the JVM's first foreign calls cost seconds under TCG, and after a
# restore every program run is code that TCG translates again.
# Built (binutils) with: as -o r.o mirari-reseed.s && ld -static -nostdlib -N -s --build-id=none -z noseparate-code -o mirari-reseed r.o
# clock_settime = syscall 227, CLOCK_REALTIME = 0, struct timespec { long tv_sec; long tv_nsec; }.
# RNDADDENTROPY = _IOW('R', 0x03, int[2]) = 0x40085203; RNDRESEEDCRNG = _IO('R', 0x07) = 0x5207
# (linux/random.h); the buffer is struct rand_pool_info { int entropy_count; int buf_size; u32 buf[]; }.
.intel_syntax noprefix
.globl _start
_start:
  cmp qword ptr [rsp], 2
  jb seed
  mov rsi, [rsp + 16]
  xor eax, eax
secs:
  movzx edx, byte ptr [rsi]
  inc rsi
  cmp dl, '.'
  je millis
  sub edx, '0'
  cmp edx, 9
  ja fail
  imul rax, rax, 10
  add rax, rdx
  jmp secs
millis:
  mov qword ptr [rip + ts], rax
  xor eax, eax
  mov ecx, 3
digit:
  movzx edx, byte ptr [rsi]
  inc rsi
  sub edx, '0'
  cmp edx, 9
  ja fail
  imul eax, eax, 10
  add eax, edx
  dec ecx
  jnz digit
  cmp byte ptr [rsi], 0
  jne fail
  imul rax, rax, 1000000
  mov qword ptr [rip + ts + 8], rax
  xor edi, edi
  lea rsi, [rip + ts]
  mov eax, 227
  syscall
  test rax, rax
  jnz fail
seed:
  xor edi, edi
  lea rsi, [rip + buf + 8]
  mov edx, 512
  xor eax, eax
  syscall
  test rax, rax
  jle fail
  mov dword ptr [rip + buf + 4], eax
  shl eax, 2
  mov dword ptr [rip + buf], eax
  lea rdi, [rip + path]
  mov esi, 1
  mov eax, 2
  syscall
  test eax, eax
  js fail
  mov r12d, eax
  mov edi, r12d
  mov esi, 0x40085203
  lea rdx, [rip + buf]
  mov eax, 16
  syscall
  test rax, rax
  jnz fail
  mov edi, r12d
  mov esi, 0x5207
  mov eax, 16
  syscall
  test rax, rax
  jnz fail
  xor edi, edi
  mov eax, 231
  syscall
fail:
  mov edi, 1
  mov eax, 231
  syscall
path: .asciz "/dev/urandom"
.bss
ts: .skip 16
buf: .skip 520
