# /bin/mirari-reseed in every VM image: reads up to 512 bytes (the restore line's seed, as hex
# text) from stdin, adds them to the kernel's entropy pool and credits 4 bits per byte
# (RNDADDENTROPY), then makes the CRNG take a new key from the pool at once (RNDRESEEDCRNG): a
# restored copy's /dev/urandom then differs from every other copy's. Exit 0, or 1 when a call
# fails (not root: EPERM). A static program of 544 bytes, because busybox has no ioctl applet and
# the JVM's first foreign calls cost seconds under TCG.
# Built (binutils) with: as -o r.o mirari-reseed.s && ld -static -nostdlib -N -s --build-id=none -z noseparate-code -o mirari-reseed r.o
# RNDADDENTROPY = _IOW('R', 0x03, int[2]) = 0x40085203; RNDRESEEDCRNG = _IO('R', 0x07) = 0x5207
# (linux/random.h); the buffer is struct rand_pool_info { int entropy_count; int buf_size; u32 buf[]; }.
.intel_syntax noprefix
.globl _start
_start:
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
buf: .skip 520
