#include <iostream>

#include "server/cli_commands.h"

int main(int argc, char** argv) { return clustermatch::RunCli(argc, argv, std::cout, std::cerr); }
