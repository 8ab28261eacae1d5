"""A small Python program to profile with cProfile and read with jpstats."""
import time

def step(i):
    return sum(range(i * 1000))

def main():
    for i in range(50):
        step(i)
    time.sleep(0.2)

main()
