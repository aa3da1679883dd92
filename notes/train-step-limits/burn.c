// notes/train-step-limits/burn.c — a floating-point loop on 1 or 2 threads pinned to CPUs 0 and 1; prints the
// wall time. Used in trying to put the 2-vCPU host into the state in which the two-thread training step is slow
// (see README.md here: it did once, not the second time): two minutes of `while :; do /tmp/burn 2; done`, then
// TrainStepBreakdown 6 2.
//   gcc -O2 -pthread -o /tmp/burn notes/train-step-limits/burn.c && /tmp/burn 2
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double secs(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static volatile double sink;
static void* work(void*a){long c=(long)a;cpu_set_t s;CPU_ZERO(&s);CPU_SET(c,&s);pthread_setaffinity_np(pthread_self(),sizeof s,&s);
 double x=1.0;for(long i=0;i<400000000L;i++){x=x*1.0000001+1e-9;} sink=x;return 0;}
int main(int argc,char**argv){int n=argc>1?atoi(argv[1]):1;if(n<1||n>2){fprintf(stderr,"usage: burn 1|2\n");return 2;}pthread_t t[2];double t0=secs();for(long i=0;i<n;i++)pthread_create(&t[i],0,work,(void*)i);for(int i=0;i<n;i++)pthread_join(t[i],0);printf("%d thread(s): %.3f s\n",n,secs()-t0);}
