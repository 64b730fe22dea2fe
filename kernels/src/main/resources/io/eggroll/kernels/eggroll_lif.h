/*
 * eggroll_lif.h - the float LIF step of docs/DESIGN.md section 1.1, one neuron at a time.
 *
 * Compiles as C99 and as OpenCL C 1.2. The operation order is the one io.eggroll.snn.Lif uses
 * (docs/ENGINE.md, "Forward"); with FP contraction off it gives the same bits as Java:
 *   u = beta * v + I;  spike = (u >= theta);  v = spike ? 0 : u.
 * EGG_LIF_MEMBRANE and EGG_LIF_SPIKES are that update and that test, type-generic, so OpenCL
 * floatN code (lane-wise, same rounding) uses the same definition as the scalar functions.
 */
#ifndef EGGROLL_LIF_H
#define EGGROLL_LIF_H

#ifdef __OPENCL_VERSION__
#define EGG_LIF_INLINE inline
#else
#define EGG_LIF_INLINE static inline
#endif

/* u = beta * v + I (float, or an OpenCL floatN with a scalar decay). */
#define EGG_LIF_MEMBRANE(v, current, decay) ((decay) * (v) + (current))
/* Whether u reaches the threshold (0/1 for float; 0/-1 per lane for an OpenCL floatN). */
#define EGG_LIF_SPIKES(u, threshold) ((u) >= (threshold))

/* One LIF step of a spiking neuron: updates *v in place, returns 1 if it spiked (hard reset). */
EGG_LIF_INLINE int egg_lif_step(float *v, float current, float decay, float threshold) {
  float u = EGG_LIF_MEMBRANE(*v, current, decay);
  int spike = EGG_LIF_SPIKES(u, threshold);
  *v = spike ? 0.0f : u;
  return spike;
}

/* One step of the non-spiking leaky readout: v = beta * v + I. */
EGG_LIF_INLINE float egg_lif_integrate(float v, float current, float decay) {
  return EGG_LIF_MEMBRANE(v, current, decay);
}

#endif /* EGGROLL_LIF_H */
