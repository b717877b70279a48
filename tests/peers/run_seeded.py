"""Runs a Python script unchanged with Python's random module seeded, so that a test can know
what it draws:  python3 run_seeded.py SEED SCRIPT [ARGS...]"""
import random
import runpy
import sys

random.seed(int(sys.argv[1]))
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
