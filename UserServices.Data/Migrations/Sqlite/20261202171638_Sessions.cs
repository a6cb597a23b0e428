using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserServices.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Sessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Sessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AbsoluteExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AuthTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AuthMethods = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CreatedIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedUserAgent = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    LastIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastUserAgent = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndCause = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Sessions_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_UserId",
                table: "Sessions",
                column: "UserId");

            // Every family of before gets its session, so the upgrade signs nobody out.
            migrationBuilder.Sql(UserServices.Data.Sessions.SessionBackfill.Sql);

            migrationBuilder.AddForeignKey(
                name: "FK_RefreshTokens_Sessions_FamilyId",
                table: "RefreshTokens",
                column: "FamilyId",
                principalTable: "Sessions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_RefreshTokens_Sessions_FamilyId",
                table: "RefreshTokens");

            migrationBuilder.DropTable(
                name: "Sessions");
        }
    }
}
