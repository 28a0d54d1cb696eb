//! The SM3 compression function (GB/T 32905-2016 §5.3), rounds rolled.

/// IV (§4.1).
pub(super) const IV: [u32; 8] = [
    0x7380_166f,
    0x4914_b2b9,
    0x1724_42d7,
    0xda8a_0600,
    0xa96f_30bc,
    0x1631_38aa,
    0xe38d_ee4d,
    0xb0fb_0e4e,
];

fn p0(x: u32) -> u32 {
    x ^ x.rotate_left(9) ^ x.rotate_left(17)
}

fn p1(x: u32) -> u32 {
    x ^ x.rotate_left(15) ^ x.rotate_left(23)
}

/// CF(V, B) (§5.3.3), with the message expansion of §5.3.2.
pub(super) fn compress(v: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 68];
    for (w, b) in w.iter_mut().zip(block.as_chunks::<4>().0) {
        *w = u32::from_be_bytes(*b);
    }
    for j in 16..68 {
        w[j] = p1(w[j - 16] ^ w[j - 9] ^ w[j - 3].rotate_left(15))
            ^ w[j - 13].rotate_left(7)
            ^ w[j - 6];
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *v;
    for j in 0..64 {
        let (t, ff, gg) = if j < 16 {
            (0x79cc_4519u32, a ^ b ^ c, e ^ f ^ g)
        } else {
            (0x7a87_9d8a, (a & b) | (a & c) | (b & c), (e & f) | (!e & g))
        };
        let a12 = a.rotate_left(12);
        let ss1 = a12
            .wrapping_add(e)
            .wrapping_add(t.rotate_left(j as u32 % 32))
            .rotate_left(7);
        let ss2 = ss1 ^ a12;
        let tt1 = ff
            .wrapping_add(d)
            .wrapping_add(ss2)
            .wrapping_add(w[j] ^ w[j + 4]);
        let tt2 = gg.wrapping_add(h).wrapping_add(ss1).wrapping_add(w[j]);
        d = c;
        c = b.rotate_left(9);
        b = a;
        a = tt1;
        h = g;
        g = f.rotate_left(19);
        f = e;
        e = p0(tt2);
    }
    for (v, x) in v.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *v ^= x;
    }
}
