import ArgumentParser
import WanggeApp
print("x")
